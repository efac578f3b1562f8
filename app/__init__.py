"""claimcoder: code statements in news articles and measure inter-coder agreement."""

__version__ = "0.1.0"
