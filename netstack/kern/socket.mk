# netstack/kern module fragment
