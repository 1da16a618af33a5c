/**
 * OpenCL through JOCL: device discovery ({@link ntklc.backend.opencl.ClDevice}) and the backend
 * that runs the kernels of the top-level {@code kernels/} folder, loaded from the classpath
 * ({@link ntklc.backend.opencl.OpenClBackend}). Every kernel is checked against the CPU reference
 * in {@code ntklc.backend.cpu} by {@code OpenClParityTest}.
 */
package ntklc.backend.opencl;
