package dev.shepherd.onnx.training;

import dev.shepherd.core.ShepherdException;
import dev.shepherd.onnx.DataFormatException;

/**
 * Thrown when no rule on the grid meets the calibration target (cost ceiling or accuracy floor).
 * The message gives the closest the grid came.
 *
 * <p>Its own type because the data are fine and the remedy is different from a {@link DataFormatException}'s:
 * relax the target (or label more data); {@code shepherd calibrate} reports it against the option that set the
 * target.
 */
public class CalibrationException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    /** A calibration failure described by {@code message}. */
    public CalibrationException(String message) {
        super(message);
    }
}
