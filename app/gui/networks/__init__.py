"""Tools → Networks…: the network of the open project, drawn, described and exported."""
