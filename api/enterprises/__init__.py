"""Enterprises (统一社会信用代码) and binding users to them."""
