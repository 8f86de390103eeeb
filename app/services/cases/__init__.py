"""Case files and their clients: the case list, the case file's header, client and documentation."""
