"""`keras.ops`: differentiable ops on numpy arrays, Tensors and Variables.

Each op is implemented, with its backward, in a family module (`elementwise.py`, `reduce.py`, ...).
This module binds the public ops by name: `add = _op(_arithmetic.add)` is `_arithmetic.add`
which, given a symbolic `KerasTensor` (from `keras.Input`), records an operation node in the
functional graph instead of computing, as Keras 3's ops do (`_base.op`). The family functions
themselves stay undispatched: ops composing other ops, and Tensor's operators (`operators.py`),
call them directly and pay no dispatch.

`keras.ops.nn`, `keras.ops.numpy`, `keras.ops.linalg` and `keras.ops.image` are Keras 3's public
sub-namespaces: the same functions, under the names Keras lists there.
"""

import types as _types

from .. import tensor as _tensor
from . import activations_extra as _activations_extra
from . import arithmetic as _arithmetic
from . import attention as _attention
from . import bitwise as _bitwise
from . import comparison as _comparison
from . import complex_numbers as _complex_numbers
from . import control_flow as _control_flow
from . import conv as _conv
from . import conversion as _conversion
from . import creation as _creation
from . import crossentropy as _crossentropy
from . import ctc as _ctc
from . import cumulative as _cumulative
from . import decompositions as _decompositions
from . import elementwise as _elementwise
from . import image as _image
from . import image_color as _image_color
from . import image_patches as _image_patches
from . import image_sampling as _image_sampling
from . import image_warp as _image_warp
from . import indexing as _indexing
from . import joining as _joining
from . import linalg as _linalg
from . import nan_reduce as _nan_reduce
from . import nn as _nn
from . import normalization as _normalization
from . import operators as _operators
from . import pooling as _pooling
from . import reduce as _reduce
from . import segment as _segment
from . import shape as _shape
from . import signal as _signal
from . import softmax as _softmax
from . import sorting as _sorting
from . import trigonometry as _trigonometry
from ._base import op as _op

# the ops behind Tensor's operators (this package imports tensor.py, so it binds them there)
_tensor.ops = _operators

# the family modules whose `__all__` are public ops (saving reads the names of old files' nodes)
_FAMILIES = (_activations_extra, _arithmetic, _attention, _bitwise, _comparison, _complex_numbers)
_FAMILIES += (_control_flow, _conv, _conversion, _creation, _crossentropy, _ctc, _cumulative)
_FAMILIES += (_decompositions, _elementwise, _indexing, _joining, _linalg, _nan_reduce, _nn)
_FAMILIES += (_normalization, _pooling, _reduce, _segment, _shape, _signal, _softmax, _sorting)
_FAMILIES += (_trigonometry,)


# activations_extra.py
sparse_sigmoid = _op(_activations_extra.sparse_sigmoid)
celu = _op(_activations_extra.celu)
hard_tanh = _op(_activations_extra.hard_tanh)
hard_shrink = _op(_activations_extra.hard_shrink)
soft_shrink = _op(_activations_extra.soft_shrink)
tanh_shrink = _op(_activations_extra.tanh_shrink)
squareplus = _op(_activations_extra.squareplus)
sparse_plus = _op(_activations_extra.sparse_plus)
threshold = _op(_activations_extra.threshold)


# arithmetic.py
add = _op(_arithmetic.add)
subtract = _op(_arithmetic.subtract)
multiply = _op(_arithmetic.multiply)
divide = _op(_arithmetic.divide)
true_divide = _op(_arithmetic.true_divide, "true_divide")
negative = _op(_arithmetic.negative)
maximum = _op(_arithmetic.maximum)
minimum = _op(_arithmetic.minimum)
clip = _op(_arithmetic.clip)
floor_divide = _op(_arithmetic.floor_divide)
mod = _op(_arithmetic.mod)
fmod = _op(_arithmetic.fmod)
divide_no_nan = _op(_arithmetic.divide_no_nan)


# attention.py
dot_product_attention = _op(_attention.dot_product_attention)


# bitwise.py
bitwise_and = _op(_bitwise.bitwise_and)
bitwise_or = _op(_bitwise.bitwise_or)
bitwise_xor = _op(_bitwise.bitwise_xor)
bitwise_invert = _op(_bitwise.bitwise_invert)
bitwise_not = _op(_bitwise.bitwise_not)
bitwise_left_shift = _op(_bitwise.bitwise_left_shift)
bitwise_right_shift = _op(_bitwise.bitwise_right_shift)
left_shift = _op(_bitwise.left_shift, "left_shift")
right_shift = _op(_bitwise.right_shift, "right_shift")


# comparison.py
where = _op(_comparison.where)
equal = _op(_comparison.equal)
not_equal = _op(_comparison.not_equal)
less = _op(_comparison.less)
less_equal = _op(_comparison.less_equal)
greater = _op(_comparison.greater)
greater_equal = _op(_comparison.greater_equal)
logical_and = _op(_comparison.logical_and)
logical_or = _op(_comparison.logical_or)
logical_not = _op(_comparison.logical_not)
isnan = _op(_comparison.isnan)
isfinite = _op(_comparison.isfinite)
isinf = _op(_comparison.isinf)
logical_xor = _op(_comparison.logical_xor)
isclose = _op(_comparison.isclose)


# control_flow.py
cond = _op(_control_flow.cond)
switch = _op(_control_flow.switch)
while_loop = _op(_control_flow.while_loop)
fori_loop = _op(_control_flow.fori_loop)
scan = _op(_control_flow.scan)
associative_scan = _op(_control_flow.associative_scan)
map = _op(_control_flow.map)
vectorized_map = _op(_control_flow.vectorized_map)
custom_gradient = _op(_control_flow.custom_gradient)


# conv.py
conv = _op(_conv.conv)
depthwise_conv = _op(_conv.depthwise_conv)
separable_conv = _op(_conv.separable_conv)
conv_transpose = _op(_conv.conv_transpose)


# complex_numbers.py
real = _op(_complex_numbers.real)
imag = _op(_complex_numbers.imag)
conjugate = _op(_complex_numbers.conjugate)
conj = _op(_complex_numbers.conj)
angle = _op(_complex_numbers.angle)
polar = _op(_complex_numbers.polar)
view_as_complex = _op(_complex_numbers.view_as_complex)
view_as_real = _op(_complex_numbers.view_as_real)


# conversion.py
cast = _op(_conversion.cast)
stop_gradient = _op(_conversion.stop_gradient)
convert_to_tensor = _op(_conversion.convert_to_tensor)
convert_to_numpy = _op(_conversion.convert_to_numpy)
shape = _op(_conversion.shape)
is_tensor = _op(_conversion.is_tensor)
dtype = _op(_conversion.dtype)
size = _op(_conversion.size)
ndim = _op(_conversion.ndim)
copy = _op(_conversion.copy)
array = _op(_conversion.array)


# creation.py
zeros = _op(_creation.zeros)
ones = _op(_creation.ones)
zeros_like = _op(_creation.zeros_like)
ones_like = _op(_creation.ones_like)
full = _op(_creation.full)
full_like = _op(_creation.full_like)
arange = _op(_creation.arange)
eye = _op(_creation.eye)
one_hot = _op(_creation.one_hot)
tril = _op(_creation.tril)
triu = _op(_creation.triu)
identity = _op(_creation.identity)
linspace = _op(_creation.linspace)
meshgrid = _op(_creation.meshgrid)
tri = _op(_creation.tri)
empty = _op(_creation.empty)


# crossentropy.py
sparse_categorical_crossentropy = _op(_crossentropy.sparse_categorical_crossentropy)
categorical_crossentropy = _op(_crossentropy.categorical_crossentropy)
binary_crossentropy = _op(_crossentropy.binary_crossentropy)


# ctc.py
ctc_loss = _op(_ctc.ctc_loss)
ctc_decode = _op(_ctc.ctc_decode)


# cumulative.py
cumsum = _op(_cumulative.cumsum)
cumprod = _op(_cumulative.cumprod)
nancumsum = _op(_cumulative.nancumsum)
nancumprod = _op(_cumulative.nancumprod)


# decompositions.py
cholesky = _op(_decompositions.cholesky)
cholesky_inverse = _op(_decompositions.cholesky_inverse)
eig = _op(_decompositions.eig)
eigh = _op(_decompositions.eigh)
qr = _op(_decompositions.qr)
svd = _op(_decompositions.svd)
lu_factor = _op(_decompositions.lu_factor)
solve_triangular = _op(_decompositions.solve_triangular)
lstsq = _op(_decompositions.lstsq)
pinv = _op(_decompositions.pinv)
slogdet = _op(_decompositions.slogdet)
logdet = _op(_decompositions.logdet)
matrix_rank = _op(_decompositions.matrix_rank)


# elementwise.py
power = _op(_elementwise.power)
exp = _op(_elementwise.exp)
log = _op(_elementwise.log)
log1p = _op(_elementwise.log1p)
sqrt = _op(_elementwise.sqrt)
square = _op(_elementwise.square)
abs = _op(_elementwise.abs)
absolute = _op(_elementwise.absolute, "absolute")
sign = _op(_elementwise.sign)
reciprocal = _op(_elementwise.reciprocal)
floor = _op(_elementwise.floor)
ceil = _op(_elementwise.ceil)
round = _op(_elementwise.round)
expm1 = _op(_elementwise.expm1)
rsqrt = _op(_elementwise.rsqrt)
erf = _op(_elementwise.erf)
exp2 = _op(_elementwise.exp2)
log2 = _op(_elementwise.log2)
log10 = _op(_elementwise.log10)
logaddexp = _op(_elementwise.logaddexp)
trunc = _op(_elementwise.trunc)
nan_to_num = _op(_elementwise.nan_to_num)


# indexing.py
take = _op(_indexing.take)
take_along_axis = _op(_indexing.take_along_axis)
gather = _op(_indexing.gather, "gather")
getitem = _op(_indexing.getitem)
get_item = _op(_indexing.get_item, "get_item")
slice = _op(_indexing.slice)
nonzero = _op(_indexing.nonzero)
slice_update = _op(_indexing.slice_update)
scatter = _op(_indexing.scatter)
scatter_update = _op(_indexing.scatter_update)
select = _op(_indexing.select)


# joining.py
concatenate = _op(_joining.concatenate)
stack = _op(_joining.stack)
split = _op(_joining.split)
pad = _op(_joining.pad)
unstack = _op(_joining.unstack)
hstack = _op(_joining.hstack)
vstack = _op(_joining.vstack)
append = _op(_joining.append)
diff = _op(_joining.diff)


# linalg.py
matmul = _op(_linalg.matmul)
dot = _op(_linalg.dot)
vdot = _op(_linalg.vdot)
tensordot = _op(_linalg.tensordot)
einsum = _op(_linalg.einsum)
outer = _op(_linalg.outer)
inner = _op(_linalg.inner)
trace = _op(_linalg.trace)
diagonal = _op(_linalg.diagonal)
diag = _op(_linalg.diag)
inv = _op(_linalg.inv)
det = _op(_linalg.det)
solve = _op(_linalg.solve)


# nan_reduce.py
nansum = _op(_nan_reduce.nansum)
nanprod = _op(_nan_reduce.nanprod)
nanmean = _op(_nan_reduce.nanmean)
nanvar = _op(_nan_reduce.nanvar)
nanstd = _op(_nan_reduce.nanstd)
nanmax = _op(_nan_reduce.nanmax)
nanmin = _op(_nan_reduce.nanmin)
nanargmax = _op(_nan_reduce.nanargmax)
nanargmin = _op(_nan_reduce.nanargmin)


# nn.py
sigmoid = _op(_nn.sigmoid)
relu = _op(_nn.relu)
relu6 = _op(_nn.relu6)
leaky_relu = _op(_nn.leaky_relu)
elu = _op(_nn.elu)
selu = _op(_nn.selu)
gelu = _op(_nn.gelu)
softplus = _op(_nn.softplus)
softsign = _op(_nn.softsign)
silu = _op(_nn.silu)
swish = _op(_nn.swish, "swish")
hard_sigmoid = _op(_nn.hard_sigmoid)
hard_silu = _op(_nn.hard_silu)
hard_swish = _op(_nn.hard_swish, "hard_swish")
mish = _op(_nn.mish)
log_sigmoid = _op(_nn.log_sigmoid)
multi_hot = _op(_nn.multi_hot)


# normalization.py
moments = _op(_normalization.moments)
normalize = _op(_normalization.normalize)
batch_normalization = _op(_normalization.batch_normalization)
rms_normalization = _op(_normalization.rms_normalization)
layer_normalization = _op(_normalization.layer_normalization)


# pooling.py
max_pool = _op(_pooling.max_pool)
average_pool = _op(_pooling.average_pool)


# reduce.py
sum = _op(_reduce.sum)
mean = _op(_reduce.mean)
max = _op(_reduce.max)
min = _op(_reduce.min)
prod = _op(_reduce.prod)
var = _op(_reduce.var)
std = _op(_reduce.std)
logsumexp = _op(_reduce.logsumexp)
argmax = _op(_reduce.argmax)
argmin = _op(_reduce.argmin)
any = _op(_reduce.any)
all = _op(_reduce.all)
amax = _op(_reduce.amax, "amax")
amin = _op(_reduce.amin, "amin")
norm = _op(_reduce.norm)
count_nonzero = _op(_reduce.count_nonzero)
average = _op(_reduce.average)
median = _op(_reduce.median)


# segment.py
segment_sum = _op(_segment.segment_sum)
segment_max = _op(_segment.segment_max)


# shape.py
reshape = _op(_shape.reshape)
transpose = _op(_shape.transpose)
expand_dims = _op(_shape.expand_dims)
squeeze = _op(_shape.squeeze)
repeat = _op(_shape.repeat)
tile = _op(_shape.tile)
flip = _op(_shape.flip)
broadcast_to = _op(_shape.broadcast_to)
swapaxes = _op(_shape.swapaxes)
moveaxis = _op(_shape.moveaxis)
ravel = _op(_shape.ravel)
flatten = _op(_shape.flatten, "flatten")
roll = _op(_shape.roll)


# signal.py
fft = _op(_signal.fft)
fft2 = _op(_signal.fft2)
ifft2 = _op(_signal.ifft2)
irfft = _op(_signal.irfft)
istft = _op(_signal.istft)
rfft = _op(_signal.rfft)
stft = _op(_signal.stft)


# softmax.py
softmax = _op(_softmax.softmax)
log_softmax = _op(_softmax.log_softmax)
sparsemax = _op(_softmax.sparsemax)
glu = _op(_softmax.glu)


# sorting.py
sort = _op(_sorting.sort)
argsort = _op(_sorting.argsort)
top_k = _op(_sorting.top_k)
in_top_k = _op(_sorting.in_top_k)
unique = _op(_sorting.unique)


# trigonometry.py
tanh = _op(_trigonometry.tanh)
sin = _op(_trigonometry.sin)
cos = _op(_trigonometry.cos)
tan = _op(_trigonometry.tan)
sinh = _op(_trigonometry.sinh)
cosh = _op(_trigonometry.cosh)
arcsin = _op(_trigonometry.arcsin)
arccos = _op(_trigonometry.arccos)
arctan = _op(_trigonometry.arctan)
arctan2 = _op(_trigonometry.arctan2)
arcsinh = _op(_trigonometry.arcsinh)
arccosh = _op(_trigonometry.arccosh)
arctanh = _op(_trigonometry.arctanh)

# keras.ops.nn, keras.ops.numpy, keras.ops.linalg: Keras 3's names there
_NN_NAMES = """
    average_pool batch_normalization binary_crossentropy categorical_crossentropy celu conv
    conv_transpose ctc_decode ctc_loss depthwise_conv dot_product_attention elu gelu glu
    hard_shrink hard_sigmoid hard_silu hard_swish hard_tanh layer_normalization leaky_relu
    log_sigmoid log_softmax max_pool mish moments multi_hot normalize one_hot relu relu6
    rms_normalization selu separable_conv sigmoid silu soft_shrink softmax softplus softsign
    sparse_categorical_crossentropy sparse_plus sparse_sigmoid sparsemax squareplus swish
    tanh_shrink threshold
""".split()
_NUMPY_NAMES = """
    abs absolute add all amax amin any append arange arccos arccosh arcsin arcsinh arctan arctan2
    arctanh argmax argmin argsort array average bitwise_and bitwise_invert bitwise_left_shift
    bitwise_not bitwise_or bitwise_right_shift bitwise_xor broadcast_to ceil clip concatenate copy
    cos cosh count_nonzero cumprod cumsum diag diagonal diff divide divide_no_nan dot einsum empty
    equal exp exp2 expand_dims expm1 eye flip floor floor_divide full full_like get_item greater
    greater_equal hstack identity inner isclose isfinite isinf isnan left_shift less less_equal
    linspace log log10 log1p log2 logaddexp logical_and logical_not logical_or logical_xor matmul
    max maximum mean median meshgrid min minimum mod fmod moveaxis multiply nan_to_num nanargmax
    nanargmin nancumprod nancumsum nanmax nanmean nanmin nanprod nanstd nansum nanvar ndim
    negative nonzero not_equal ones ones_like outer pad power prod ravel reciprocal repeat reshape
    right_shift roll round select sign sin sinh size slogdet sort split sqrt square squeeze stack
    std subtract sum swapaxes take take_along_axis tan tanh tensordot tile trace transpose tri
    tril triu true_divide trunc unique var vdot vstack where zeros zeros_like
""".split()
_LINALG_NAMES = """
    cholesky cholesky_inverse det diag diagonal dot eigh einsum inner inv logdet lstsq lu_factor
    matmul matrix_rank norm outer pinv qr slogdet solve solve_triangular svd tensordot trace vdot
""".split()


def _namespace(name, functions):
    """A module object `minikeras.ops.<name>` holding `functions` (a dict name -> function)."""
    module = _types.ModuleType(f"minikeras.ops.{name}")
    module.__dict__.update(functions)
    module.__all__ = sorted(functions)
    return module


# keras.ops.image: its ops are recorded under "image.<name>"
image = _namespace(
    "image",
    {
        "affine_transform": _op(_image_sampling.affine_transform, "image.affine_transform"),
        "crop_images": _op(_image.crop_images, "image.crop_images"),
        "elastic_transform": _op(_image_warp.elastic_transform, "image.elastic_transform"),
        "extract_patches": _op(_image_patches.extract_patches, "image.extract_patches"),
        "extract_patches_3d": _op(_image_patches.extract_patches_3d, "image.extract_patches_3d"),
        "gaussian_blur": _op(_image_warp.gaussian_blur, "image.gaussian_blur"),
        "hsv_to_rgb": _op(_image_color.hsv_to_rgb, "image.hsv_to_rgb"),
        "map_coordinates": _op(_image_sampling.map_coordinates, "image.map_coordinates"),
        "pad_images": _op(_image.pad_images, "image.pad_images"),
        "perspective_transform": _op(
            _image_warp.perspective_transform, "image.perspective_transform"
        ),
        "resize": _op(_image.resize, "image.resize"),
        "rgb_to_grayscale": _op(_image_color.rgb_to_grayscale, "image.rgb_to_grayscale"),
        "rgb_to_hsv": _op(_image_color.rgb_to_hsv, "image.rgb_to_hsv"),
    },
)
nn = _namespace("nn", {n: globals()[n] for n in _NN_NAMES})
numpy = _namespace("numpy", {n: globals()[n] for n in _NUMPY_NAMES})
linalg = _namespace("linalg", {n: globals()[n] for n in _LINALG_NAMES})


# issue 16's later ops: the families added after the split, and their sub-namespace listings
from . import missing_ops as _missing_ops  # noqa: E402
from . import missing_array_ops as _missing_array_ops  # noqa: E402
from . import adaptive_pool as _adaptive_pool  # noqa: E402
from . import special_math as _special_math  # noqa: E402
from . import windows as _windows  # noqa: E402
from . import statistics as _statistics  # noqa: E402
from . import sequences as _sequences  # noqa: E402
from . import transforms as _transforms  # noqa: E402
from . import image_extra as _image_extra  # noqa: E402

_FAMILIES += (_missing_ops, _missing_array_ops, _adaptive_pool, _special_math)
_FAMILIES += (_windows, _statistics, _sequences, _transforms)
cbrt = _op(_missing_ops.cbrt)
deg2rad = _op(_missing_ops.deg2rad)
rad2deg = _op(_missing_ops.rad2deg)
fabs = _op(_missing_ops.fabs)
hypot = _op(_missing_ops.hypot)
logaddexp2 = _op(_missing_ops.logaddexp2)
sinc = _op(_missing_ops.sinc)
fmax = _op(_missing_ops.fmax)
fmin = _op(_missing_ops.fmin)
heaviside = _op(_missing_ops.heaviside)
signbit = _op(_missing_ops.signbit)
isneginf = _op(_missing_ops.isneginf)
isposinf = _op(_missing_ops.isposinf)
ptp = _op(_missing_ops.ptp)
quantile = _op(_missing_ops.quantile)
percentile = _op(_missing_ops.percentile)
nanquantile = _op(_missing_ops.nanquantile)
nanpercentile = _op(_missing_ops.nanpercentile)
nanmedian = _op(_missing_ops.nanmedian)
fliplr = _op(_missing_array_ops.fliplr)
flipud = _op(_missing_array_ops.flipud)
rot90 = _op(_missing_array_ops.rot90)
dstack = _op(_missing_array_ops.dstack)
array_split = _op(_missing_array_ops.array_split)
hsplit = _op(_missing_array_ops.hsplit)
vsplit = _op(_missing_array_ops.vsplit)
dsplit = _op(_missing_array_ops.dsplit)
diagflat = _op(_missing_array_ops.diagflat)
kron = _op(_missing_array_ops.kron)
vander = _op(_missing_array_ops.vander)
trapezoid = _op(_missing_array_ops.trapezoid)
isin = _op(_missing_array_ops.isin)
searchsorted = _op(_missing_array_ops.searchsorted)
digitize = _op(_missing_array_ops.digitize)
allclose = _op(_missing_array_ops.allclose)
psnr = _op(_missing_array_ops.psnr)
depth_to_space = _op(_missing_array_ops.depth_to_space)
space_to_depth = _op(_missing_array_ops.space_to_depth)
adaptive_average_pool = _op(_adaptive_pool.adaptive_average_pool)
adaptive_max_pool = _op(_adaptive_pool.adaptive_max_pool)
erfc = _op(_special_math.erfc)
erfinv = _op(_special_math.erfinv)
i0 = _op(_special_math.i0)
isreal = _op(_special_math.isreal)
ldexp = _op(_special_math.ldexp)
nextafter = _op(_special_math.nextafter)
gcd = _op(_special_math.gcd)
lcm = _op(_special_math.lcm)
bartlett = _op(_windows.bartlett)
blackman = _op(_windows.blackman)
hamming = _op(_windows.hamming)
hanning = _op(_windows.hanning)
kaiser = _op(_windows.kaiser)
geomspace = _op(_windows.geomspace)
logspace = _op(_windows.logspace)
empty_like = _op(_windows.empty_like)
unravel_index = _op(_windows.unravel_index)
argpartition = _op(_statistics.argpartition)
bincount = _op(_statistics.bincount)
histogram = _op(_statistics.histogram)
corrcoef = _op(_statistics.corrcoef)
correlate = _op(_statistics.correlate)
cross = _op(_statistics.cross)
cdist = _op(_statistics.cdist)
segment_min = _op(_statistics.segment_min)
segment_prod = _op(_statistics.segment_prod)
extract_sequences = _op(_sequences.extract_sequences)
unfold = _op(_sequences.unfold)
fold = _op(_sequences.fold)
rearrange = _op(_sequences.rearrange)
saturate_cast = _op(_transforms.saturate_cast)
view = _op(_transforms.view)
vectorize = _op(_transforms.vectorize)
jvp = _op(_transforms.jvp)
_NEW_NAMES = {
    numpy: """
        cbrt deg2rad rad2deg fabs hypot logaddexp2 sinc fmax fmin heaviside signbit isneginf
        isposinf ptp quantile percentile nanquantile nanpercentile nanmedian fliplr flipud rot90
        dstack array_split hsplit vsplit dsplit diagflat kron vander trapezoid isin searchsorted
        digitize allclose gcd lcm ldexp nextafter i0 isreal bartlett blackman hamming hanning
        kaiser geomspace logspace empty_like unravel_index argpartition bincount histogram
        corrcoef correlate cross vectorize view real imag conj conjugate angle
    """.split(),
    nn: "psnr depth_to_space space_to_depth adaptive_average_pool adaptive_max_pool fold unfold".split()
    + ["polar"],
    linalg: ["jvp", "eig"],
    image: ["scale_and_translate", "sobel_edges", "ssim"],
}
for _n in _NEW_NAMES[image]:  # recorded as "image.<name>", not bound in keras.ops itself
    image.__dict__[_n] = _op(getattr(_image_extra, _n), f"image.{_n}")
for _module, _names in _NEW_NAMES.items():
    _module.__dict__.update({_n: globals().get(_n) or _module.__dict__[_n] for _n in _names})
    _module.__all__ = sorted({*_module.__all__, *_names})
