"""The tensor core: Tensor, Variable, autodiff and ops."""
