"""The client's household: the people living with the client, their relation and own cases."""
