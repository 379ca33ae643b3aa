"""Groups: buurtpreventieteams, each in one wijk or dorp."""
