"""Prices and the tax in them: the tax rates association staff keep, net/gross arithmetic, price display."""
