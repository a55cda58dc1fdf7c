"""Working time on the Chinese calendar (调休 included) for SLA due times."""
