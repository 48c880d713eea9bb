"""County→city packages (报送包), receipts and enrolled keys: the use cases over exchange/."""
