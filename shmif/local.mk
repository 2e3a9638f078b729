# shmif
