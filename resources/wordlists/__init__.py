"""Word lists: random words for generated passphrases, ranked German words for the strength rule
(sources and licences in SOURCES.md)."""
