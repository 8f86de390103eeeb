"""Demo data files (JSON), read with importlib.resources by app.demo.pools."""
