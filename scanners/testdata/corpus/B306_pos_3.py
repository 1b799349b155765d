import tempfile as tf
fn = tf.mktemp(dir='/data')
