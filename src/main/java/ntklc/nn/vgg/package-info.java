/**
 * VGG19 with batch norm for CIFAR-10 (spec §2.5, §12 R8): the network whose 512-d features the
 * CIFAR-10 compression experiment (E3) uses, built on the convolutional autograd primitives.
 */
package ntklc.nn.vgg;
