"""Files on a ticket, both ways, stored in the database."""
