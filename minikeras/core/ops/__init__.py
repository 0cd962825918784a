"""`keras.ops`: differentiable ops on numpy arrays, Tensors and Variables.

Each op is implemented, with its backward, in a family module (`elementwise.py`, `reduce.py`, ...).
This module binds the public ops by name: `add = op(_elementwise.add)` is `_elementwise.add`
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
from ._base import op

# the ops behind Tensor's operators (this package imports tensor.py, so it binds them there)
_tensor.ops = _operators

# the family modules whose `__all__` are public ops (saving reads the names of old files' nodes)
_FAMILIES = (
    _activations_extra,
    _arithmetic,
    _attention,
    _bitwise,
    _comparison,
    _control_flow,
    _conv,
    _conversion,
    _creation,
    _crossentropy,
    _ctc,
    _cumulative,
    _decompositions,
    _elementwise,
    _indexing,
    _joining,
    _linalg,
    _nan_reduce,
    _nn,
    _normalization,
    _pooling,
    _reduce,
    _segment,
    _shape,
    _signal,
    _softmax,
    _sorting,
    _trigonometry,
)


# activations_extra.py
sparse_sigmoid = op(_activations_extra.sparse_sigmoid)
celu = op(_activations_extra.celu)
hard_tanh = op(_activations_extra.hard_tanh)
hard_shrink = op(_activations_extra.hard_shrink)
soft_shrink = op(_activations_extra.soft_shrink)
tanh_shrink = op(_activations_extra.tanh_shrink)
squareplus = op(_activations_extra.squareplus)
sparse_plus = op(_activations_extra.sparse_plus)
threshold = op(_activations_extra.threshold)


# arithmetic.py
add = op(_arithmetic.add)
subtract = op(_arithmetic.subtract)
multiply = op(_arithmetic.multiply)
divide = op(_arithmetic.divide)
true_divide = op(_arithmetic.true_divide, "true_divide")
negative = op(_arithmetic.negative)
maximum = op(_arithmetic.maximum)
minimum = op(_arithmetic.minimum)
clip = op(_arithmetic.clip)
floor_divide = op(_arithmetic.floor_divide)
mod = op(_arithmetic.mod)
divide_no_nan = op(_arithmetic.divide_no_nan)


# attention.py
dot_product_attention = op(_attention.dot_product_attention)


# bitwise.py
bitwise_and = op(_bitwise.bitwise_and)
bitwise_or = op(_bitwise.bitwise_or)
bitwise_xor = op(_bitwise.bitwise_xor)
bitwise_invert = op(_bitwise.bitwise_invert)
bitwise_not = op(_bitwise.bitwise_not)
bitwise_left_shift = op(_bitwise.bitwise_left_shift)
bitwise_right_shift = op(_bitwise.bitwise_right_shift)
left_shift = op(_bitwise.left_shift, "left_shift")
right_shift = op(_bitwise.right_shift, "right_shift")


# comparison.py
where = op(_comparison.where)
equal = op(_comparison.equal)
not_equal = op(_comparison.not_equal)
less = op(_comparison.less)
less_equal = op(_comparison.less_equal)
greater = op(_comparison.greater)
greater_equal = op(_comparison.greater_equal)
logical_and = op(_comparison.logical_and)
logical_or = op(_comparison.logical_or)
logical_not = op(_comparison.logical_not)
isnan = op(_comparison.isnan)
isfinite = op(_comparison.isfinite)
isinf = op(_comparison.isinf)
logical_xor = op(_comparison.logical_xor)
isclose = op(_comparison.isclose)


# control_flow.py
cond = op(_control_flow.cond)
switch = op(_control_flow.switch)
while_loop = op(_control_flow.while_loop)
fori_loop = op(_control_flow.fori_loop)
scan = op(_control_flow.scan)
associative_scan = op(_control_flow.associative_scan)
map = op(_control_flow.map)
vectorized_map = op(_control_flow.vectorized_map)
custom_gradient = op(_control_flow.custom_gradient)


# conv.py
conv = op(_conv.conv)
depthwise_conv = op(_conv.depthwise_conv)
separable_conv = op(_conv.separable_conv)
conv_transpose = op(_conv.conv_transpose)


# conversion.py
cast = op(_conversion.cast)
stop_gradient = op(_conversion.stop_gradient)
convert_to_tensor = op(_conversion.convert_to_tensor)
convert_to_numpy = op(_conversion.convert_to_numpy)
shape = op(_conversion.shape)
is_tensor = op(_conversion.is_tensor)
dtype = op(_conversion.dtype)
size = op(_conversion.size)
ndim = op(_conversion.ndim)
copy = op(_conversion.copy)
array = op(_conversion.array)


# creation.py
zeros = op(_creation.zeros)
ones = op(_creation.ones)
zeros_like = op(_creation.zeros_like)
ones_like = op(_creation.ones_like)
full = op(_creation.full)
full_like = op(_creation.full_like)
arange = op(_creation.arange)
eye = op(_creation.eye)
one_hot = op(_creation.one_hot)
tril = op(_creation.tril)
triu = op(_creation.triu)
identity = op(_creation.identity)
linspace = op(_creation.linspace)
meshgrid = op(_creation.meshgrid)
tri = op(_creation.tri)
empty = op(_creation.empty)


# crossentropy.py
sparse_categorical_crossentropy = op(_crossentropy.sparse_categorical_crossentropy)
categorical_crossentropy = op(_crossentropy.categorical_crossentropy)
binary_crossentropy = op(_crossentropy.binary_crossentropy)


# ctc.py
ctc_loss = op(_ctc.ctc_loss)
ctc_decode = op(_ctc.ctc_decode)


# cumulative.py
cumsum = op(_cumulative.cumsum)
cumprod = op(_cumulative.cumprod)
nancumsum = op(_cumulative.nancumsum)
nancumprod = op(_cumulative.nancumprod)


# decompositions.py
cholesky = op(_decompositions.cholesky)
cholesky_inverse = op(_decompositions.cholesky_inverse)
eigh = op(_decompositions.eigh)
qr = op(_decompositions.qr)
svd = op(_decompositions.svd)
lu_factor = op(_decompositions.lu_factor)
solve_triangular = op(_decompositions.solve_triangular)
lstsq = op(_decompositions.lstsq)
pinv = op(_decompositions.pinv)
slogdet = op(_decompositions.slogdet)
logdet = op(_decompositions.logdet)
matrix_rank = op(_decompositions.matrix_rank)


# elementwise.py
power = op(_elementwise.power)
exp = op(_elementwise.exp)
log = op(_elementwise.log)
log1p = op(_elementwise.log1p)
sqrt = op(_elementwise.sqrt)
square = op(_elementwise.square)
abs = op(_elementwise.abs)
absolute = op(_elementwise.absolute, "absolute")
sign = op(_elementwise.sign)
reciprocal = op(_elementwise.reciprocal)
floor = op(_elementwise.floor)
ceil = op(_elementwise.ceil)
round = op(_elementwise.round)
expm1 = op(_elementwise.expm1)
rsqrt = op(_elementwise.rsqrt)
erf = op(_elementwise.erf)
exp2 = op(_elementwise.exp2)
log2 = op(_elementwise.log2)
log10 = op(_elementwise.log10)
logaddexp = op(_elementwise.logaddexp)
trunc = op(_elementwise.trunc)
nan_to_num = op(_elementwise.nan_to_num)


# indexing.py
take = op(_indexing.take)
take_along_axis = op(_indexing.take_along_axis)
gather = op(_indexing.gather, "gather")
getitem = op(_indexing.getitem)
get_item = op(_indexing.get_item, "get_item")
slice = op(_indexing.slice)
nonzero = op(_indexing.nonzero)
slice_update = op(_indexing.slice_update)
scatter = op(_indexing.scatter)
scatter_update = op(_indexing.scatter_update)
select = op(_indexing.select)


# joining.py
concatenate = op(_joining.concatenate)
stack = op(_joining.stack)
split = op(_joining.split)
pad = op(_joining.pad)
unstack = op(_joining.unstack)
hstack = op(_joining.hstack)
vstack = op(_joining.vstack)
append = op(_joining.append)
diff = op(_joining.diff)


# linalg.py
matmul = op(_linalg.matmul)
dot = op(_linalg.dot)
vdot = op(_linalg.vdot)
tensordot = op(_linalg.tensordot)
einsum = op(_linalg.einsum)
outer = op(_linalg.outer)
inner = op(_linalg.inner)
trace = op(_linalg.trace)
diagonal = op(_linalg.diagonal)
diag = op(_linalg.diag)
inv = op(_linalg.inv)
det = op(_linalg.det)
solve = op(_linalg.solve)


# nan_reduce.py
nansum = op(_nan_reduce.nansum)
nanprod = op(_nan_reduce.nanprod)
nanmean = op(_nan_reduce.nanmean)
nanvar = op(_nan_reduce.nanvar)
nanstd = op(_nan_reduce.nanstd)
nanmax = op(_nan_reduce.nanmax)
nanmin = op(_nan_reduce.nanmin)
nanargmax = op(_nan_reduce.nanargmax)
nanargmin = op(_nan_reduce.nanargmin)


# nn.py
sigmoid = op(_nn.sigmoid)
relu = op(_nn.relu)
relu6 = op(_nn.relu6)
leaky_relu = op(_nn.leaky_relu)
elu = op(_nn.elu)
selu = op(_nn.selu)
gelu = op(_nn.gelu)
softplus = op(_nn.softplus)
softsign = op(_nn.softsign)
silu = op(_nn.silu)
swish = op(_nn.swish, "swish")
hard_sigmoid = op(_nn.hard_sigmoid)
hard_silu = op(_nn.hard_silu)
hard_swish = op(_nn.hard_swish, "hard_swish")
mish = op(_nn.mish)
log_sigmoid = op(_nn.log_sigmoid)
multi_hot = op(_nn.multi_hot)


# normalization.py
moments = op(_normalization.moments)
normalize = op(_normalization.normalize)
batch_normalization = op(_normalization.batch_normalization)
rms_normalization = op(_normalization.rms_normalization)
layer_normalization = op(_normalization.layer_normalization)


# pooling.py
max_pool = op(_pooling.max_pool)
average_pool = op(_pooling.average_pool)


# reduce.py
sum = op(_reduce.sum)
mean = op(_reduce.mean)
max = op(_reduce.max)
min = op(_reduce.min)
prod = op(_reduce.prod)
var = op(_reduce.var)
std = op(_reduce.std)
logsumexp = op(_reduce.logsumexp)
argmax = op(_reduce.argmax)
argmin = op(_reduce.argmin)
any = op(_reduce.any)
all = op(_reduce.all)
amax = op(_reduce.amax, "amax")
amin = op(_reduce.amin, "amin")
norm = op(_reduce.norm)
count_nonzero = op(_reduce.count_nonzero)
average = op(_reduce.average)
median = op(_reduce.median)


# segment.py
segment_sum = op(_segment.segment_sum)
segment_max = op(_segment.segment_max)


# shape.py
reshape = op(_shape.reshape)
transpose = op(_shape.transpose)
expand_dims = op(_shape.expand_dims)
squeeze = op(_shape.squeeze)
repeat = op(_shape.repeat)
tile = op(_shape.tile)
flip = op(_shape.flip)
broadcast_to = op(_shape.broadcast_to)
swapaxes = op(_shape.swapaxes)
moveaxis = op(_shape.moveaxis)
ravel = op(_shape.ravel)
flatten = op(_shape.flatten, "flatten")
roll = op(_shape.roll)


# signal.py
fft = op(_signal.fft)
fft2 = op(_signal.fft2)
ifft2 = op(_signal.ifft2)
irfft = op(_signal.irfft)
istft = op(_signal.istft)
rfft = op(_signal.rfft)
stft = op(_signal.stft)


# softmax.py
softmax = op(_softmax.softmax)
log_softmax = op(_softmax.log_softmax)
sparsemax = op(_softmax.sparsemax)
glu = op(_softmax.glu)


# sorting.py
sort = op(_sorting.sort)
argsort = op(_sorting.argsort)
top_k = op(_sorting.top_k)
in_top_k = op(_sorting.in_top_k)
unique = op(_sorting.unique)


# trigonometry.py
tanh = op(_trigonometry.tanh)
sin = op(_trigonometry.sin)
cos = op(_trigonometry.cos)
tan = op(_trigonometry.tan)
sinh = op(_trigonometry.sinh)
cosh = op(_trigonometry.cosh)
arcsin = op(_trigonometry.arcsin)
arccos = op(_trigonometry.arccos)
arctan = op(_trigonometry.arctan)
arctan2 = op(_trigonometry.arctan2)
arcsinh = op(_trigonometry.arcsinh)
arccosh = op(_trigonometry.arccosh)
arctanh = op(_trigonometry.arctanh)

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
    max maximum mean median meshgrid min minimum mod moveaxis multiply nan_to_num nanargmax
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
        "affine_transform": op(_image_sampling.affine_transform, "image.affine_transform"),
        "crop_images": op(_image.crop_images, "image.crop_images"),
        "elastic_transform": op(_image_warp.elastic_transform, "image.elastic_transform"),
        "extract_patches": op(_image_patches.extract_patches, "image.extract_patches"),
        "extract_patches_3d": op(_image_patches.extract_patches_3d, "image.extract_patches_3d"),
        "gaussian_blur": op(_image_warp.gaussian_blur, "image.gaussian_blur"),
        "hsv_to_rgb": op(_image_color.hsv_to_rgb, "image.hsv_to_rgb"),
        "map_coordinates": op(_image_sampling.map_coordinates, "image.map_coordinates"),
        "pad_images": op(_image.pad_images, "image.pad_images"),
        "perspective_transform": op(
            _image_warp.perspective_transform, "image.perspective_transform"
        ),
        "resize": op(_image.resize, "image.resize"),
        "rgb_to_grayscale": op(_image_color.rgb_to_grayscale, "image.rgb_to_grayscale"),
        "rgb_to_hsv": op(_image_color.rgb_to_hsv, "image.rgb_to_hsv"),
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

_FAMILIES += (_missing_ops, _missing_array_ops, _adaptive_pool, _special_math)
_FAMILIES += (_windows, _statistics, _sequences, _transforms)
cbrt = op(_missing_ops.cbrt)
deg2rad = op(_missing_ops.deg2rad)
rad2deg = op(_missing_ops.rad2deg)
fabs = op(_missing_ops.fabs)
hypot = op(_missing_ops.hypot)
logaddexp2 = op(_missing_ops.logaddexp2)
sinc = op(_missing_ops.sinc)
fmax = op(_missing_ops.fmax)
fmin = op(_missing_ops.fmin)
heaviside = op(_missing_ops.heaviside)
signbit = op(_missing_ops.signbit)
isneginf = op(_missing_ops.isneginf)
isposinf = op(_missing_ops.isposinf)
ptp = op(_missing_ops.ptp)
quantile = op(_missing_ops.quantile)
percentile = op(_missing_ops.percentile)
nanquantile = op(_missing_ops.nanquantile)
nanpercentile = op(_missing_ops.nanpercentile)
nanmedian = op(_missing_ops.nanmedian)
fliplr = op(_missing_array_ops.fliplr)
flipud = op(_missing_array_ops.flipud)
rot90 = op(_missing_array_ops.rot90)
dstack = op(_missing_array_ops.dstack)
array_split = op(_missing_array_ops.array_split)
hsplit = op(_missing_array_ops.hsplit)
vsplit = op(_missing_array_ops.vsplit)
dsplit = op(_missing_array_ops.dsplit)
diagflat = op(_missing_array_ops.diagflat)
kron = op(_missing_array_ops.kron)
vander = op(_missing_array_ops.vander)
trapezoid = op(_missing_array_ops.trapezoid)
isin = op(_missing_array_ops.isin)
searchsorted = op(_missing_array_ops.searchsorted)
digitize = op(_missing_array_ops.digitize)
allclose = op(_missing_array_ops.allclose)
psnr = op(_missing_array_ops.psnr)
depth_to_space = op(_missing_array_ops.depth_to_space)
space_to_depth = op(_missing_array_ops.space_to_depth)
adaptive_average_pool = op(_adaptive_pool.adaptive_average_pool)
adaptive_max_pool = op(_adaptive_pool.adaptive_max_pool)
erfc = op(_special_math.erfc)
erfinv = op(_special_math.erfinv)
i0 = op(_special_math.i0)
isreal = op(_special_math.isreal)
ldexp = op(_special_math.ldexp)
nextafter = op(_special_math.nextafter)
gcd = op(_special_math.gcd)
lcm = op(_special_math.lcm)
bartlett = op(_windows.bartlett)
blackman = op(_windows.blackman)
hamming = op(_windows.hamming)
hanning = op(_windows.hanning)
kaiser = op(_windows.kaiser)
geomspace = op(_windows.geomspace)
logspace = op(_windows.logspace)
empty_like = op(_windows.empty_like)
unravel_index = op(_windows.unravel_index)
argpartition = op(_statistics.argpartition)
bincount = op(_statistics.bincount)
histogram = op(_statistics.histogram)
corrcoef = op(_statistics.corrcoef)
correlate = op(_statistics.correlate)
cross = op(_statistics.cross)
cdist = op(_statistics.cdist)
segment_min = op(_statistics.segment_min)
segment_prod = op(_statistics.segment_prod)
extract_sequences = op(_sequences.extract_sequences)
unfold = op(_sequences.unfold)
fold = op(_sequences.fold)
rearrange = op(_sequences.rearrange)
saturate_cast = op(_transforms.saturate_cast)
view = op(_transforms.view)
vectorize = op(_transforms.vectorize)
jvp = op(_transforms.jvp)
_NEW_NAMES = {
    numpy: """
        cbrt deg2rad rad2deg fabs hypot logaddexp2 sinc fmax fmin heaviside signbit isneginf
        isposinf ptp quantile percentile nanquantile nanpercentile nanmedian fliplr flipud rot90
        dstack array_split hsplit vsplit dsplit diagflat kron vander trapezoid isin searchsorted
        digitize allclose gcd lcm ldexp nextafter i0 isreal bartlett blackman hamming hanning
        kaiser geomspace logspace empty_like unravel_index argpartition bincount histogram
        corrcoef correlate cross vectorize view
    """.split(),
    nn: "psnr depth_to_space space_to_depth adaptive_average_pool adaptive_max_pool fold unfold".split(),
    linalg: ["jvp"],
}
for _module, _names in _NEW_NAMES.items():
    _module.__dict__.update({_n: globals()[_n] for _n in _names})
    _module.__all__ = sorted({*_module.__all__, *_names})
