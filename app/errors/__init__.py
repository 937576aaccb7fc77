"""Error pages in Chinese and JSON errors in the contract's shape."""
