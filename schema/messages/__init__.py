"""Messages inside the school (issue 14, Г.1 #2): types, the conversations, the writes."""
