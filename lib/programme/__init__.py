"""Programme tracking: the inspection's findings, their status, milestones and what changed."""
