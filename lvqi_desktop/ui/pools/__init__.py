"""The 梯度培育库 page: one tab per pool, the pool record dialog, checks and targets."""
