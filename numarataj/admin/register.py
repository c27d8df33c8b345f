"""Admin of one part of numarataj."""
