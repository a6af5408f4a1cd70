"""Writes the small HDF5 files GalaxyTenTest reads (run with Debian's python3-h5py; the outputs are committed).
good.h5: the Galaxy10 DECals layout (images [n, h, w, 3] uint8 chunked and gzip-compressed as in the real file,
ans [n] uint8, ra/dec/redshift/pxscale [n] float64) with 10 images of 16x16, image i filled with value 20*i and
class i. wrong.h5: images of rank 3 and no 'ans'. empty.h5: the layout with zero images. numpy.h5: what numpy writes by
default, labels int64 and images float32 (0-255), as good.h5 otherwise."""
import h5py
import numpy as np

n, size = 10, 16
images = np.zeros((n, size, size, 3), dtype=np.uint8)
for i in range(n):
    images[i, :, :, 0] = 20 * i
    images[i, :, :, 1] = 20 * i + 1
    images[i, :, :, 2] = 20 * i + 2
    images[i, 0, 0, :] = 255          # one bright corner pixel, to check the orientation
with h5py.File("good.h5", "w") as f:
    f.create_dataset("images", data=images, chunks=(1, size, size, 3), compression="gzip")
    f.create_dataset("ans", data=np.arange(n, dtype=np.uint8))
    for name in ("ra", "dec", "redshift", "pxscale"):
        f.create_dataset(name, data=np.zeros(n))
with h5py.File("wrong.h5", "w") as f:
    f.create_dataset("images", data=np.zeros((n, size, size), dtype=np.uint8))
with h5py.File("empty.h5", "w") as f:
    f.create_dataset("images", data=np.zeros((0, size, size, 3), dtype=np.uint8))
    f.create_dataset("ans", data=np.zeros(0, dtype=np.uint8))
with h5py.File("numpy.h5", "w") as f:
    f.create_dataset("images", data=images.astype(np.float32))
    f.create_dataset("ans", data=np.arange(n))
