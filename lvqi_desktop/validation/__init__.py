"""Business rules that check what a user entered; pure functions returning `Issue`s."""
