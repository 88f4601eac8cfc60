"""How the product writes dates and times wherever Django formats them (FORMAT_MODULE_PATH)."""
