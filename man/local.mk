# Manual pages (mdoc).  Tool pages are listed with their tools.
dist_man_MANS += man/shmif.4
dist_man_MANS += man/sockin.4
