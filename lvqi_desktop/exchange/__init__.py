"""County → city submission packages (数据报送包): format, reader, writer."""
