"""The platform-free core: what a team, a member, an entry and a message are, and the rules on them."""
