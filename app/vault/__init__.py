"""The encrypted vault: key file, KDF, SQLCipher store, throttling, device identity."""
