"""The 包联帮扶 page: helpers, service teams and assignments."""
