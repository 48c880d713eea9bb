"""Returns (报表): the return catalogue, each return's rows and the Excel/PDF export."""
