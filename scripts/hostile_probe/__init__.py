"""The hostile-input probe behind scripts/hostile-probe (see docs/hostile-input.md)."""
