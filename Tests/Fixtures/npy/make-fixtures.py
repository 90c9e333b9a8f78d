"""Writes the .npy and .npz fixtures of BaifsTests with NumPy (run from this folder).

Every numeric fixture holds the values 0, 1, …, n−1 (or n−1 − i, for signed types: 2 − i) in its
shape, so that the tests can check each element; the files are a few hundred bytes each.
"""
import numpy as np

def save(name, array, **kwargs):
    np.save(name, array, **kwargs)

for descr in ["<f2", "<f4", ">f8", "|i1", "<i2", ">i4", "<i8", "|u1", "<u2", ">u4", "<u8"]:
    values = np.arange(6) if "u" in descr else np.arange(6) - 2
    save(descr.replace("<", "le-").replace(">", "be-").replace("|", "") + ".npy", values.reshape(2, 3).astype(descr))
save("bool.npy", np.array([True, False, True]))
save("names.npy", np.array(["setosa", "versicolor", "virginica", "setosa"]))
save("bytes.npy", np.array([b"cat", b"horse", b"ox"]))
save("fortran.npy", np.asfortranarray(np.arange(24, dtype="<f8").reshape(2, 3, 4)))
save("images.npy", np.arange(16, dtype="|u1").reshape(2, 1, 2, 4))
with open("version2.npy", "wb") as f:
    np.lib.format.write_array(f, np.arange(4, dtype="<f4"), version=(2, 0))
save("complex.npy", np.arange(3, dtype="<c16"))
save("object.npy", np.array([1, "a", None], dtype=object), allow_pickle=True)
np.savez("arrays.npz", features=np.arange(6, dtype="<f8").reshape(3, 2), targets=np.array(["b", "a", "b"]))
np.savez_compressed("compressed.npz", features=np.arange(600, dtype="<f8").reshape(300, 2) % 7,
                    targets=np.arange(300, dtype="<i8") % 3)
