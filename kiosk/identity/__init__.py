"""Who the resident is: the card's verdict, the face check, VNeID sign-in, volunteer attestation."""
