"""Knowledge-based identity check (handbook section 13): parse, match, decide, audit."""
