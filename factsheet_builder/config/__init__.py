"""Loading and validating school configs: YAML files -> cascade -> typed, checked values."""
