/**
 * VGG19 on CIFAR-10 (docs/theory.md §1.4, §8.5 R8): the network whose 16th convolutional layer supplies the
 * 512-dimensional features of the paper's CIFAR-10 compression experiment (Fig. 3 bottom, docs/theory.md §8.3).
 *
 * <p>{@link ntklc.nn.vgg.Vgg} is the network (channel plan, batch norm, classifier, initialisation,
 * {@code --width-divisor}); {@link ntklc.nn.vgg.ImageTransform} the random-crop/flip augmentation
 * and per-channel normalisation; {@link ntklc.nn.Sgd} the optimiser
 * (with {@link ntklc.nn.LearningRateSchedule});
 * {@link ntklc.nn.vgg.VggTraining} one epoch and the evaluation; {@link ntklc.nn.vgg.Checkpoint}
 * the binary file that makes a run resumable. The convolution, pooling and batch-norm arithmetic is
 * the backend's ({@link ntklc.backend}), reached through the autograd primitives
 * {@link ntklc.autograd.Convolution3x3}, {@link ntklc.autograd.MaxPool}, {@link ntklc.autograd.BatchNorm}.
 */
package ntklc.nn.vgg;
