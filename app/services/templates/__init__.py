"""Certificate templates: the defaults in resources/certificates/ and a team's versions."""
