"""Messages inside the school (issue 14, Г.1 #2): written, replied to, read."""
