"""好差评 ratings as staff and admins see them, and the 整改 a bad one opens."""
