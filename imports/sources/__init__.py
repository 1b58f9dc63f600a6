"""What every app's sources build on: the source base, the readers, the file limits and the
headed tables. The sources themselves live in the app whose tables they write."""
