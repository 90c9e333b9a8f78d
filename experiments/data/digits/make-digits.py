"""Writes scikit-learn's 8×8 digits (sklearn.datasets.load_digits) as NumPy and IDX files.

    pip install scikit-learn        # then, from this folder:
    python3 make-digits.py

digits-features.npy   uint8 [1797, 64]   pixel counts 0..16, row-major 8×8 images
digits-targets.npy    uint8 [1797]       the digit, 0..9
digits-images-idx3-ubyte.gz   IDX unsigned bytes [1797, 8, 8], gzip (mtime 0)
digits-labels-idx1-ubyte.gz   IDX unsigned bytes [1797], gzip (mtime 0)
"""
import gzip, struct
import numpy as np
from sklearn.datasets import load_digits

digits = load_digits()
images = digits.images.astype(np.uint8)            # [1797, 8, 8], values 0..16
assert (images == digits.images).all()
labels = digits.target.astype(np.uint8)
np.save("digits-features.npy", images.reshape(len(images), 64))
np.save("digits-targets.npy", labels)

def idx(array):
    return bytes([0, 0, 0x08, array.ndim]) + b"".join(struct.pack(">I", n) for n in array.shape) + array.tobytes()

for name, array in [("digits-images-idx3-ubyte.gz", images), ("digits-labels-idx1-ubyte.gz", labels)]:
    with open(name, "wb") as file:
        file.write(gzip.compress(idx(array), compresslevel=9, mtime=0))
