"""The vault owner's account: profile, passphrase change, data-key renewal, backups."""
