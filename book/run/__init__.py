"""Running programs: a fork server inside a bubblewrap sandbox, one confined child each."""
