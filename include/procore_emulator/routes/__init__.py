"""The emulator's HTTP routes, one module per concern; ``app.py`` registers them."""
