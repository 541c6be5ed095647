"""`bakeoff bench` and `bakeoff report`: one workload on every service, and its page."""
