# netstack/netinet module fragment
