"""The web pages served beside the API by ``thucthi serve``."""
