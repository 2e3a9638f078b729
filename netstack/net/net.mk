# netstack/net module fragment
