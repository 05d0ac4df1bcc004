"""One module per surface; each has `cases(workspace) -> list[Case]`."""
