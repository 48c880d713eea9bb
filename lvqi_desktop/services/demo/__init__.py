"""The demonstration data generator (演示数据): firms, pools, activity, monitoring, bases."""
