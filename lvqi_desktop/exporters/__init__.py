"""Writers of Excel and PDF files; pure functions over their own dataclasses, no database."""
