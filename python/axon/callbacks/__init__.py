"""Callbacks (`axon.callbacks`), Keras 3 names, arguments and behaviour.

fit() calls the epoch hooks from Python between engine epochs. Batch hooks run only when a
callback has one (the engine then reports every batch); otherwise the engine reports at most
every 50 ms, for the progress bar alone. One file per callback.
"""

from axon.callbacks.backup_and_restore import BackupAndRestore
from axon.callbacks.callback import Callback
from axon.callbacks.callback_list import CallbackList
from axon.callbacks.csv_logger import CSVLogger
from axon.callbacks.early_stopping import EarlyStopping
from axon.callbacks.history import History
from axon.callbacks.lambda_callback import LambdaCallback
from axon.callbacks.model_checkpoint import ModelCheckpoint
from axon.callbacks.learning_rate_scheduler import LearningRateScheduler
from axon.callbacks.progbar_logger import ProgbarLogger
from axon.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from axon.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = ["BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping", "History", "LambdaCallback",
           "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger", "ReduceLROnPlateau", "TerminateOnNaN"]
